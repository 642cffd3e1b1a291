import express from 'express';
import pino from 'pino';
import { Registry, Counter } from 'prom-client';
import { createHttpApp } from './create-http-app';
import { listen, type ListeningServer } from './listen';
import { ProblemError } from './problem';

describe('createHttpApp', () => {
  let ready = false;
  let server: ListeningServer;
  let base: string;
  const logged: string[] = [];
  const registry = new Registry();
  new Counter({ name: 'test_requests_total', help: 'test', registers: [registry] }).inc(3);

  beforeAll(async () => {
    const app = createHttpApp({
      registry,
      logger: pino({ level: 'error' }, { write: (line: string) => logged.push(line) }),
      readiness: () => ({ ready, checks: { redis: ready ? 'ready' : 'degraded' } }),
      routes: (a) => {
        a.post('/echo', express.json(), (req, res) => {
          if (typeof req.body?.name !== 'string') throw ProblemError.invalid([{ field: 'name', message: 'must be a string' }]);
          res.json({ name: req.body.name });
        });
        a.get('/boom', () => {
          throw new Error('secret internals');
        });
      },
    });
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  it('answers /livez', async () => {
    const res = await fetch(`${base}/livez`);
    expect(res.status).toBe(200);
  });

  it('answers /readyz with 503 until ready, then 200', async () => {
    ready = false;
    let res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not ready', checks: { redis: 'degraded' } });
    ready = true;
    res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
  });

  it('serves the registry in Prometheus text format', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('test_requests_total 3');
  });

  it('answers a bad body with a 400 problem naming the field', async () => {
    const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":1}' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 400, code: 'invalid_request', field: 'name', errors: [{ field: 'name' }] });
  });

  it('answers invalid JSON with a 400 problem', async () => {
    const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_json' });
  });

  it('answers unknown routes with a 404 problem and failures with a 500 that hides internals', async () => {
    const missing = await fetch(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found' });
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('secret internals');
  });

  it('answers an unsupported charset or content encoding with 415 and an unreadable gzip body with 400 invalid_json', async () => {
    const post = async (headers: Record<string, string>) => {
      const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"name":"x"}' });
      return [res.status, ((await res.json()) as { code: string }).code];
    };
    expect(await post({ 'Content-Type': 'application/json; charset=latin1' })).toEqual([415, 'unsupported_media_type']);
    expect(await post({ 'Content-Encoding': 'compress' })).toEqual([415, 'unsupported_media_type']);
    expect(await post({ 'Content-Encoding': 'gzip' })).toEqual([400, 'invalid_json']);
  });

  it('never echoes or logs the query string, which may carry a token', async () => {
    const missing = await fetch(`${base}/nowhere?token=query-secret`);
    expect(await missing.json()).toMatchObject({ instance: '/nowhere' });
    const boom = await fetch(`${base}/boom?token=query-secret`);
    expect(await boom.json()).toMatchObject({ instance: '/boom' });
    expect(logged.join('')).toContain('"path":"/boom"');
    expect(logged.join('')).not.toContain('query-secret');
  });
});

