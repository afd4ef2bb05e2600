import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBadRequestResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/actor';
import { ErrorBodyDto } from '../errors/error-body';

/**
 * The one declaration of a controller of owned resources (questions, courses, question sets;
 * ownership is ownedBy, src/common/auth/owner-filter.ts): mounted at `path`, tagged `tag`, every
 * route an instructor's (admins see every resource, anyone else only their own: another's is a
 * 404 from the service), and the invalid-input 400 documented for every route.
 */
export const OwnedResourceController = (tag: string, path: string): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    RequireRole('instructor'),
    ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid body, query or id' }),
    Controller(path),
  );
