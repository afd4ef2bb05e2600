import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const ERROR_BODY_REF = '#/components/schemas/ErrorBodyDto';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function errorResponse(description: string): ResponseObject {
  return { description, content: { 'application/json': { schema: { $ref: ERROR_BODY_REF } } } };
}

/**
 * Answers the framework gives on every route, whichever module owns it, so the OpenAPI document
 * lists them without each controller repeating them: a 500 from the catch-all filter, a 503 with
 * Retry-After while the database is unreachable (DatabaseAvailableGuard); for a route
 * with parameters, a 400 for a malformed one (ParseObjectIdPipe, the query DTO, Fastify's URL
 * checks in createHttpAdapter); for a route with a body, a 400 for a body that does not parse or
 * validate, a 413 over BODY_LIMIT_BYTES and a 415 for a Content-Type it does not parse. The body
 * answers name the route's own request media types (most take JSON only; the answer form also
 * takes application/x-www-form-urlencoded). These framework answers are JSON on every route. An
 * answer a controller documents itself is left as it is.
 */
export function documentCommonErrors(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = path[method];
      if (operation === undefined) continue;
      const add = (status: string, description: string): void => {
        if (operation.responses[status] === undefined) {
          operation.responses[status] = errorResponse(description);
        }
      };
      const body = operation.requestBody;
      const mediaTypes = body !== undefined && 'content' in body ? Object.keys(body.content) : [];
      const accepted = mediaTypes.length > 0 ? mediaTypes.join(' or ') : 'application/json';
      if (body !== undefined) {
        add('400', `Invalid body, or one that is not valid ${accepted}`);
        add('413', 'Request body larger than 100 kB');
        add('415', `Unsupported request Content-Type (this route takes ${accepted})`);
      } else if ((operation.parameters ?? []).length > 0) {
        add('400', 'Invalid parameter');
      }
      add('500', 'Unexpected error; the body carries a request_id to quote');
      if (operation.responses['503'] === undefined) {
        operation.responses['503'] = {
          ...errorResponse('The database is unreachable; try again after Retry-After seconds'),
          headers: {
            'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
          },
        };
      }
    }
  }
  return document;
}
