import { dockerfileViolations } from './dockerfile-violations';

const GOOD = [
  'FROM node:24.20.0-bookworm-slim AS build',
  'WORKDIR /src',
  'COPY package.json package-lock.json ./',
  'RUN npm ci',
  'COPY . .',
  'RUN npx nx run demo:build',
  '',
  'FROM node:24.20.0-bookworm-slim AS runtime',
  'ENV NODE_ENV=production',
  'WORKDIR /app',
  'COPY package.json package-lock.json ./',
  'RUN npm ci --omit=dev --ignore-scripts \\',
  '    && npm cache clean --force',
  'COPY --from=build /src/dist/apps/demo ./dist/apps/demo',
  'USER 1000:1000',
  'EXPOSE 8090',
  'STOPSIGNAL SIGTERM',
  'HEALTHCHECK --interval=15s CMD ["node", "-e", "fetch(\'http://127.0.0.1:8090/livez\')"]',
  'CMD ["node", "dist/apps/demo/main.js"]',
].join('\n');

/** GOOD with one line replaced (or removed when `replacement` is empty). */
function withLine(prefix: string, replacement: string): string {
  const lines = GOOD.split('\n');
  const index = lines.findIndex((line, i) => line.startsWith(prefix) && (prefix !== 'FROM' || i > 0));
  if (index === -1) throw new Error(`no line starts with ${prefix}`);
  lines.splice(index, prefix === 'RUN npm ci --omit' ? 2 : 1, ...(replacement ? [replacement] : []));
  return lines.join('\n');
}

describe('dockerfileViolations', () => {
  it('finds nothing wrong with a Dockerfile that follows every rule', () => {
    expect(dockerfileViolations(GOOD)).toEqual([]);
  });

  it('reports an unknown instruction, as a typo would be', () => {
    expect(dockerfileViolations(withLine('EXPOSE', 'EXPOS 8090'))).toEqual(expect.arrayContaining([expect.stringMatching(/unknown instruction EXPOS/), expect.stringMatching(/no EXPOSE/)]));
  });

  it('requires a multi-stage build', () => {
    const single = GOOD.split('\n').slice(7).join('\n').replace('COPY --from=build /src/dist/apps/demo ./dist/apps/demo', 'COPY dist/apps/demo ./dist/apps/demo');
    expect(dockerfileViolations(single)).toEqual([expect.stringMatching(/multi-stage/)]);
  });

  it('requires every base image to be pinned to an exact release', () => {
    expect(dockerfileViolations(GOOD.replace('node:24.20.0-bookworm-slim AS build', 'node:latest AS build'))).toEqual([expect.stringMatching(/line 1: .*latest/)]);
    expect(dockerfileViolations(GOOD.replace('node:24.20.0-bookworm-slim AS runtime', 'node:24-bookworm-slim AS runtime'))).toEqual([expect.stringMatching(/line 8: .*exact release/)]);
  });

  it('requires a non-root USER in the final stage', () => {
    expect(dockerfileViolations(withLine('USER', ''))).toEqual([expect.stringMatching(/no USER/)]);
    expect(dockerfileViolations(withLine('USER', 'USER root'))).toEqual([expect.stringMatching(/runs as root/)]);
    expect(dockerfileViolations(withLine('USER', 'USER 0:0'))).toEqual([expect.stringMatching(/runs as root/)]);
  });

  it('requires a HEALTHCHECK that asks /livez', () => {
    expect(dockerfileViolations(withLine('HEALTHCHECK', ''))).toEqual([expect.stringMatching(/no HEALTHCHECK/)]);
    expect(dockerfileViolations(withLine('HEALTHCHECK', 'HEALTHCHECK NONE'))).toEqual([expect.stringMatching(/disables/)]);
    expect(dockerfileViolations(withLine('HEALTHCHECK', 'HEALTHCHECK CMD ["node", "-e", "1"]'))).toEqual([expect.stringMatching(/\/livez/)]);
  });

  it('refuses dev dependencies in the final stage, installed there or copied from a stage that has them', () => {
    expect(dockerfileViolations(withLine('RUN npm ci --omit', 'RUN npm ci --ignore-scripts'))).toEqual([expect.stringMatching(/line 12: .*dev dependencies/)]);
    const copied = withLine('RUN npm ci --omit', 'COPY --from=build /src/node_modules ./node_modules');
    expect(dockerfileViolations(copied)).toEqual([expect.stringMatching(/copies node_modules from stage build/)]);
  });

  it('requires NODE_ENV=production, EXPOSE, STOPSIGNAL SIGTERM and an exec-form CMD', () => {
    expect(dockerfileViolations(withLine('ENV NODE_ENV', ''))).toEqual([expect.stringMatching(/NODE_ENV=production/)]);
    expect(dockerfileViolations(withLine('STOPSIGNAL', 'STOPSIGNAL SIGKILL'))).toEqual([expect.stringMatching(/STOPSIGNAL SIGKILL/)]);
    expect(dockerfileViolations(withLine('CMD', 'CMD node dist/apps/demo/main.js'))).toEqual([expect.stringMatching(/shell form/)]);
    expect(dockerfileViolations(withLine('CMD', ''))).toEqual([expect.stringMatching(/no CMD/)]);
  });
});
