import { SignJWT } from 'jose';

/** The HS256 secret the tests configure (at least 32 bytes). */
export const TEST_JWT_SECRET = 'test-only-secret-of-the-alert-service-0123456789';

/** Every scope of the API, as the development token of `npm start` carries them. */
export const ALL_SCOPES = 'alerts:read alerts:write rules:write';

/** Options of {@link signToken}. */
export interface SignTokenOptions {
  /** HS256 secret (default {@link TEST_JWT_SECRET}). */
  secret?: string;
  /** `exp`, epoch seconds (default: an hour from now). */
  expiresAt?: number;
  /** Other claims, e.g. `{ scope: 'alerts:read' }` or `{ scp: [...] }`; they replace the default `{ scope: ALL_SCOPES }`. */
  claims?: Record<string, unknown>;
}

/** A signed HS256 token for `sub` that grants every scope, valid for an hour, unless `options` say otherwise. */
export async function signToken(sub: string, options: SignTokenOptions = {}): Promise<string> {
  const key = new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET);
  return new SignJWT(options.claims ?? { scope: ALL_SCOPES })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 3600)
    .sign(key);
}

/** A response as the tests look at it. */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body (`undefined` when empty). */
  body: T;
}

/** Options of one request. */
export interface RequestOptions {
  /** A JSON body (serialised) or raw text (sent as is). */
  body?: unknown;
  /** Extra or overriding headers. */
  headers?: Record<string, string>;
  /** `false`: no Authorization header; a string: that token instead of the client's. */
  token?: string | false;
}

/** A tiny client of the alert service's REST API over real HTTP. */
export class ApiClient {
  /**
   * @param baseUrl `http://127.0.0.1:<port>`
   * @param token the bearer token sent by default
   */
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Sends a request to `/api/v1<path>`. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? this.token : options.token;
    if (token !== false) headers['authorization'] = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, { method, headers: { ...headers, ...options.headers }, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** GET, expecting 200; returns the body. */
  async get<T = unknown>(path: string): Promise<T> {
    const res = await this.request<T>('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A request expecting `status`; returns the body. */
  async expect<T = unknown>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, path, body === undefined ? {} : { body });
    if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
