import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtension, type OpenAPIObject } from '@nestjs/swagger';
import type {
  MediaTypeObject,
  OperationObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const EXTENSION = 'x-request-content';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * A request body taken in several media types, each with its own schema (an upload as text/csv
 * or application/json). @ApiBody gives every consumed type the same schema, so the schemas ride
 * in an extension that applyRequestContent moves into `requestBody.content` once the document
 * is built (buildOpenApiDocument in app.setup.ts).
 */
export const ApiRequestContent = (
  description: string,
  content: Record<string, MediaTypeObject>,
): MethodDecorator =>
  applyDecorators(
    ApiConsumes(...Object.keys(content)),
    ApiBody({ description, required: true, schema: { type: 'object' } }),
    ApiExtension(EXTENSION, content),
  );

type WithContent = OperationObject & { [EXTENSION]?: Record<string, MediaTypeObject> };

export function applyRequestContent(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: WithContent | undefined = path[method];
      const content = operation?.[EXTENSION];
      if (operation === undefined || content === undefined) continue;
      delete operation[EXTENSION];
      const body = operation.requestBody;
      if (body !== undefined && 'content' in body) body.content = content;
    }
  }
  return document;
}
