/** Where the REST API is mounted. */
export const API_BASE_PATH = '/api/v1';

/** Path of the OpenAPI document (served without authentication). */
export const OPENAPI_PATH = `${API_BASE_PATH}/openapi.json`;
