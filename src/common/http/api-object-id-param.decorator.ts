import { ApiParam } from '@nestjs/swagger';
import { OBJECT_ID_PATTERN } from './parse-object-id.pipe';

/**
 * Documents a path parameter read with ParseObjectIdPipe, pattern included, so the OpenAPI
 * document says which ids are malformed (400) rather than leaving every string "valid".
 */
export const ApiObjectIdParam = (name: string, description: string): MethodDecorator =>
  ApiParam({
    name,
    description: `${description} (24 hexadecimal characters)`,
    // `type` too: it replaces the reflected parameter type (mongoose's ObjectId class), which
    // Swagger would otherwise document as an empty object schema next to this one.
    type: String,
    schema: { type: 'string', pattern: OBJECT_ID_PATTERN, example: '665f1c2e8a1b2c3d4e5f6a7b' },
  });
