import { ConfigError } from '@rebal/redis-client';
import { duration, optionalStr } from '../config/env-schema';
import { AuthConfigError } from './auth-config-error';
import { DEFAULT_CLOCK_TOLERANCE_SEC, resolveJwtVerifierOptions, type JwtVerifierOptions } from './jwt-verifier-options';

const KEY_VARIABLES = ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URL'] as const;

/** The token variables of every service that verifies bearer tokens, for its `envSchema`. */
export function authEnv() {
  return {
    AUTH_JWT_SECRET: optionalStr({
      secret: true,
      description: 'HS256 secret of the bearer tokens, at least 32 bytes; exactly one of AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY and AUTH_JWKS_URL is required',
    }),
    AUTH_JWT_PUBLIC_KEY: optionalStr({ description: 'RS256 (RSA >= 2048 bits) or ES256 (P-256) public key in PEM (`\\n` escapes allowed), instead of AUTH_JWT_SECRET' }),
    AUTH_JWKS_URL: optionalStr({ description: 'URL of a JSON Web Key Set (keys picked by `kid`, RS256 and ES256), instead of AUTH_JWT_SECRET' }),
    AUTH_AUDIENCE: optionalStr({ description: 'accepted `aud` values, comma-separated (unset: not checked)' }),
    AUTH_ISSUER: optionalStr({ description: 'accepted `iss` values, comma-separated (unset: not checked)' }),
    AUTH_CLOCK_TOLERANCE: duration({ default: DEFAULT_CLOCK_TOLERANCE_SEC * 1000, max: 300_000, description: 'clock skew allowed on `exp` and `nbf`' }),
  };
}

/** The variables of {@link authEnv}, parsed. */
export interface AuthVars {
  readonly AUTH_JWT_SECRET: string | undefined;
  readonly AUTH_JWT_PUBLIC_KEY: string | undefined;
  readonly AUTH_JWKS_URL: string | undefined;
  readonly AUTH_AUDIENCE: string | undefined;
  readonly AUTH_ISSUER: string | undefined;
  readonly AUTH_CLOCK_TOLERANCE: number;
}

/**
 * The verifier's options out of the parsed {@link authEnv} variables, checked as the verifier
 * will check them, so a key that cannot work stops the start. Authentication is always on.
 * @throws ConfigError naming the variable (never quoting the secret)
 */
export function parseAuthSettings(vars: AuthVars): JwtVerifierOptions {
  const set = KEY_VARIABLES.filter((name) => vars[name] !== undefined);
  if (set.length !== 1) {
    throw new ConfigError(
      set[1] ?? 'AUTH_JWT_SECRET',
      `exactly one of AUTH_JWT_SECRET (HS256) and AUTH_JWT_PUBLIC_KEY (RS256/ES256) or AUTH_JWKS_URL is required: authentication is always on; ${set.length === 0 ? 'none is set' : `${set.join(' and ')} are set`}`,
    );
  }
  const options: JwtVerifierOptions = {
    ...(vars.AUTH_JWT_SECRET === undefined ? {} : { hs256Secret: vars.AUTH_JWT_SECRET }),
    // Kubernetes secrets and .env files often carry a PEM on one line with literal \n.
    ...(vars.AUTH_JWT_PUBLIC_KEY === undefined ? {} : { publicKeyPem: vars.AUTH_JWT_PUBLIC_KEY.replace(/\\n/g, '\n') }),
    ...(vars.AUTH_JWKS_URL === undefined ? {} : { jwksUrl: vars.AUTH_JWKS_URL }),
    ...list('audience', vars.AUTH_AUDIENCE),
    ...list('issuer', vars.AUTH_ISSUER),
    clockToleranceSec: vars.AUTH_CLOCK_TOLERANCE / 1000,
  };
  try {
    resolveJwtVerifierOptions(options);
  } catch (error) {
    if (error instanceof AuthConfigError) throw new ConfigError(set[0] as string, error.message);
    throw error;
  }
  return options;
}

function list(name: 'audience' | 'issuer', text: string | undefined): Partial<Record<'audience' | 'issuer', string[]>> {
  const items = (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return items.length === 0 ? {} : { [name]: items };
}
