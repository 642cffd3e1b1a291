/** Commands whose arguments carry credentials. */
const SECRET_COMMANDS = new Set(['auth', 'hello', 'migrate', 'config', 'acl']);

/**
 * ioredis attaches the failed command to reply errors (`error.command = {name, args}`); for
 * a refused AUTH the args are the user name and password, and the same error object
 * rejects every queued command. This replaces such args with `***` in place, so logging the
 * error object (pino's `err` serializer prints every property) cannot leak the password.
 * Called synchronously from the connection's `error` listener, before any promise
 * rejection handler sees the error.
 */
export function scrubRedisError(error: unknown): void {
  if (!error || typeof error !== 'object') return;
  const command = (error as { command?: { name?: unknown; args?: unknown } }).command;
  if (command && typeof command.name === 'string' && SECRET_COMMANDS.has(command.name.toLowerCase()) && Array.isArray(command.args)) {
    command.args = command.args.map(() => '***');
  }
}
