import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kustomizeBuild, KustomizeBuildError } from './kustomize-build';

describe('kustomizeBuild', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ship-checks-kustomize-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('returns every object kubectl kustomize prints, transformations applied', () => {
    writeFileSync(join(directory, 'kustomization.yaml'), 'namespace: demo\nconfigMapGenerator:\n  - name: settings\n    literals: [A=1]\nresources: [service.yaml]\n');
    writeFileSync(join(directory, 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n');
    const objects = kustomizeBuild(directory);
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}/${object.metadata.namespace}`)).toEqual([
      expect.stringMatching(/^ConfigMap\/settings-[a-z0-9]+\/demo$/),
      'Service/web/demo',
    ]);
  });

  it('throws a KustomizeBuildError with kubectl\'s message when the kustomization is broken', () => {
    writeFileSync(join(directory, 'kustomization.yaml'), 'resources: [missing.yaml]\n');
    expect(() => kustomizeBuild(directory)).toThrow(KustomizeBuildError);
    expect(() => kustomizeBuild(directory)).toThrow(/missing\.yaml/);
  });

  it('throws a KustomizeBuildError when kubectl cannot be run', () => {
    writeFileSync(join(directory, 'kustomization.yaml'), 'resources: []\n');
    expect(() => kustomizeBuild(directory, { kubectl: join(directory, 'no-such-kubectl') })).toThrow(/could not run/);
  });
});
