export { OPENAPI_DOCUMENT } from './openapi-document';
export { OPENAPI_PATHS } from './openapi-paths';
export { OPENAPI_SCHEMAS, type JsonSchema } from './openapi-schemas';
