import { imageReferenceViolation, parseImageReference } from './image-reference';

describe('parseImageReference', () => {
  it('splits registry, repository, tag and digest, reading a colon in the registry host as a port', () => {
    expect(parseImageReference('registry.example.com:5000/rebal/alert-service:0.1.0')).toEqual({
      repository: 'registry.example.com:5000/rebal/alert-service',
      tag: '0.1.0',
    });
    expect(parseImageReference('redis@sha256:abc')).toEqual({ repository: 'redis', digest: 'sha256:abc' });
    expect(parseImageReference('node')).toEqual({ repository: 'node' });
  });
});

describe('imageReferenceViolation', () => {
  it('accepts an exact release tag with a variant, and a digest', () => {
    expect(imageReferenceViolation('node:24.20.0-bookworm-slim', { exactVersion: true })).toBeUndefined();
    expect(imageReferenceViolation('redis:7.2.10', { exactVersion: true })).toBeUndefined();
    expect(imageReferenceViolation('node@sha256:0123', { exactVersion: true })).toBeUndefined();
  });

  it('rejects a missing tag and the latest tag', () => {
    expect(imageReferenceViolation('node')).toMatch(/no tag/);
    expect(imageReferenceViolation('node:latest')).toMatch(/latest/);
  });

  it('rejects floating tags only when an exact release is required', () => {
    expect(imageReferenceViolation('node:24-bookworm-slim', { exactVersion: true })).toMatch(/exact release/);
    expect(imageReferenceViolation('redis:7.2', { exactVersion: true })).toMatch(/exact release/);
    expect(imageReferenceViolation('rebal/alert-service:dev')).toBeUndefined();
  });
});
