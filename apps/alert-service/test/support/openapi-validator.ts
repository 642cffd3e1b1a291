import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OPENAPI_DOCUMENT } from '../../src/api';

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The document's schemas, addressable as https://rebal.test/alert-api.json#/components/schemas/<Name>.
ajv.addSchema({ $id: 'https://rebal.test/alert-api.json', components: { schemas: OPENAPI_DOCUMENT.components.schemas } });

/** Throws (failing the test) unless `body` is valid against the OpenAPI document's schema `name`. */
export function expectSchema(name: string, body: unknown): void {
  const validate = ajv.getSchema(`https://rebal.test/alert-api.json#/components/schemas/${name}`);
  if (!validate) throw new Error(`the OpenAPI document has no schema ${name}`);
  if (!validate(body)) throw new Error(`response does not match the OpenAPI schema ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
}
