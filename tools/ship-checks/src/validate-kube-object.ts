import * as monitoringCoreosComV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as coordinationK8sIoV1 from 'kubernetes-models/coordination.k8s.io/v1';
import * as networkingK8sIoV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacAuthorizationK8sIoV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { describeObject, type KubeObject } from './kube-object';

/** A kubernetes-models class: built from an object's data, it checks it against the API schema. */
type ModelClass = new (data: never) => { validate(): void };

/**
 * The API groups whose schemas are known, by apiVersion: the Kubernetes built-ins (from
 * `kubernetes-models`, generated from the Kubernetes OpenAPI spec) and the Prometheus Operator CRDs
 * (from `@kubernetes-models/prometheus-operator`, generated from the CRDs' schemas).
 */
const API_GROUPS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'autoscaling/v2': autoscalingV2,
  'batch/v1': batchV1,
  'coordination.k8s.io/v1': coordinationK8sIoV1,
  'networking.k8s.io/v1': networkingK8sIoV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacAuthorizationK8sIoV1,
  'monitoring.coreos.com/v1': monitoringCoreosComV1,
};

/** Thrown by {@link validateKubeObject} for an object its schema rejects, or whose kind has no known schema. */
export class SchemaValidationError extends Error {
  /** `ERR_SCHEMA_INVALID` (the schema rejected the object) or `ERR_SCHEMA_UNKNOWN` (no schema for its kind). */
  readonly code: 'ERR_SCHEMA_INVALID' | 'ERR_SCHEMA_UNKNOWN';

  constructor(code: SchemaValidationError['code'], message: string) {
    super(message);
    this.name = 'SchemaValidationError';
    this.code = code;
  }
}

function modelClassFor(apiVersion: string, kind: string): ModelClass | undefined {
  const candidate = API_GROUPS[apiVersion]?.[kind];
  return typeof candidate === 'function' ? (candidate as ModelClass) : undefined;
}

/**
 * Validates one object against the schema of its apiVersion and kind: types, required fields,
 * enums, patterns and formats (field names the schema does not know are not reported: the
 * Kubernetes schemas leave objects open). Throws {@link SchemaValidationError} naming the object
 * and every violated path.
 */
export function validateKubeObject(object: KubeObject): void {
  const Model = modelClassFor(object.apiVersion, object.kind);
  if (!Model) {
    throw new SchemaValidationError('ERR_SCHEMA_UNKNOWN', `${describeObject(object)}: no schema known for ${object.apiVersion} ${object.kind}`);
  }
  try {
    new Model(object as never).validate();
  } catch (error) {
    const details = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
    const text = details?.length
      ? details.map((detail) => `${detail.instancePath || '/'} ${detail.message ?? 'is invalid'}`).join('; ')
      : (error as Error).message;
    throw new SchemaValidationError('ERR_SCHEMA_INVALID', `${describeObject(object)} (${object.apiVersion}) is invalid: ${text}`);
  }
}
