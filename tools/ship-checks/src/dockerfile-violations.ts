import { parseDockerfileStages, type DockerfileInstruction, type DockerfileStage } from './dockerfile-stages';
import { imageReferenceViolation } from './image-reference';

/** `npm ci` / `npm install` / `npm i` inside a RUN command. */
const NPM_INSTALL = /\bnpm\s+(?:ci|install|i)\b/;

function isRootUser(user: string): boolean {
  const name = user.split(':')[0]?.trim() ?? '';
  return name === '' || name === 'root' || name === '0';
}

function installsDevDependencies(run: DockerfileInstruction): boolean {
  return NPM_INSTALL.test(run.args) && !/--omit[= ]dev\b/.test(run.args);
}

function isExecForm(args: string): boolean {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((part) => typeof part === 'string');
  } catch {
    return false;
  }
}

function finalStageViolations(final: DockerfileStage, stagesByName: ReadonlyMap<string, DockerfileStage>): string[] {
  const violations: string[] = [];
  const last = (keyword: string) => final.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
  const at = (instruction: DockerfileInstruction) => `line ${instruction.line}`;

  const user = last('USER');
  if (!user) violations.push('final stage has no USER: the image would run as root');
  else if (isRootUser(user.args)) violations.push(`${at(user)}: final stage runs as root (USER ${user.args})`);

  const healthcheck = last('HEALTHCHECK');
  if (!healthcheck) violations.push('final stage has no HEALTHCHECK');
  else if (/^NONE\b/i.test(healthcheck.args)) violations.push(`${at(healthcheck)}: HEALTHCHECK NONE disables the health check`);
  else if (!healthcheck.args.includes('/livez')) violations.push(`${at(healthcheck)}: HEALTHCHECK does not ask /livez`);

  for (const run of final.instructions.filter((instruction) => instruction.keyword === 'RUN' && installsDevDependencies(instruction))) {
    violations.push(`${at(run)}: final stage installs dev dependencies (npm without --omit=dev)`);
  }
  for (const copy of final.instructions.filter((instruction) => instruction.keyword === 'COPY' && instruction.flags['from'])) {
    const source = stagesByName.get(copy.flags['from'] ?? '');
    const devInstall = source?.instructions.some((instruction) => instruction.keyword === 'RUN' && installsDevDependencies(instruction));
    if (devInstall && copy.args.includes('node_modules')) {
      violations.push(`${at(copy)}: final stage copies node_modules from stage ${copy.flags['from']}, which installs dev dependencies`);
    }
  }
  if (!final.instructions.some((instruction) => instruction.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(instruction.args))) {
    violations.push('final stage does not set ENV NODE_ENV=production');
  }
  if (!last('EXPOSE')) violations.push('final stage has no EXPOSE');

  const stopsignal = last('STOPSIGNAL');
  if (!stopsignal) violations.push('final stage has no STOPSIGNAL SIGTERM');
  else if (stopsignal.args.trim() !== 'SIGTERM') violations.push(`${at(stopsignal)}: STOPSIGNAL ${stopsignal.args} (the services shut down on SIGTERM)`);

  const command = last('ENTRYPOINT') ?? last('CMD');
  if (!command) violations.push('final stage has no CMD or ENTRYPOINT');
  else if (!isExecForm(command.args)) {
    violations.push(`${at(command)}: ${command.keyword} is in shell form: /bin/sh would be PID 1 and swallow SIGTERM; use the JSON exec form`);
  }
  return violations;
}

/**
 * What a Dockerfile breaks of the house rules for service images (empty when none):
 * - it parses: every instruction is a Dockerfile instruction;
 * - multi-stage: at least two FROM;
 * - every base image is pinned to an exact release (`node:24.20.0-bookworm-slim`, never `latest`);
 * - the final stage runs as a non-root USER, has a HEALTHCHECK on /livez, installs no dev
 *   dependencies (npm with `--omit=dev`, and no node_modules copied from a stage with dev ones),
 *   sets NODE_ENV=production, EXPOSEs its port, stops on SIGTERM and starts in exec form.
 */
export function dockerfileViolations(text: string): string[] {
  const { stages, unknownInstructions } = parseDockerfileStages(text);
  const violations = unknownInstructions.map((instruction) => `line ${instruction.line}: unknown instruction ${instruction.keyword}`);
  if (stages.length < 2) violations.push(`${stages.length} FROM: expected a multi-stage build (at least 2)`);
  const stagesByName = new Map<string, DockerfileStage>();
  for (const stage of stages) {
    if (!stagesByName.has(stage.from)) {
      const problem = imageReferenceViolation(stage.from, { exactVersion: true });
      if (problem) violations.push(`line ${stage.line}: ${problem}`);
    }
    if (stage.name) stagesByName.set(stage.name, stage);
  }
  const final = stages.at(-1);
  if (final) violations.push(...finalStageViolations(final, stagesByName));
  return violations;
}
