import { listOperations } from './openapi-operations';

describe('listOperations', () => {
  const document = {
    openapi: '3.1.0',
    security: [{ bearerAuth: [] }],
    paths: {
      '/alerts/{id}/snooze': { post: { requestBody: { content: {} }, responses: {} }, parameters: [] },
      '/rules/{id}': { get: { responses: {} }, delete: { security: [{ bearerAuth: [] }], responses: {} } },
      '/openapi.json': { get: { security: [], responses: {} } },
    },
  };

  it('lists every method of every path in document order, with the path parameters filled', () => {
    expect(listOperations(document, { fill: (name, template) => `${name}@${template.length}` })).toEqual([
      { method: 'POST', template: '/alerts/{id}/snooze', path: '/alerts/id%4019/snooze', secured: true, hasBody: true },
      { method: 'GET', template: '/rules/{id}', path: '/rules/id%4011', secured: true, hasBody: false },
      { method: 'DELETE', template: '/rules/{id}', path: '/rules/id%4011', secured: true, hasBody: false },
      { method: 'GET', template: '/openapi.json', path: '/openapi.json', secured: false, hasBody: false },
    ]);
  });

  it('takes an operation without security of its own as the document says, and fills a plausible id by default', () => {
    const [first] = listOperations({ paths: { '/x/{id}': { get: {} } } });
    expect(first).toEqual({ method: 'GET', template: '/x/{id}', path: '/x/e2e-id-0000', secured: false, hasBody: false });
  });

  it('refuses something that is not an OpenAPI document', () => {
    expect(() => listOperations({ openapi: '3.1.0' })).toThrow(TypeError);
    expect(() => listOperations(null)).toThrow(TypeError);
  });
});
