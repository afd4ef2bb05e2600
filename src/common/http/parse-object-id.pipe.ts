import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { Types } from 'mongoose';

/** A MongoDB ObjectId as it appears in a URL; also the documented pattern (ApiObjectIdParam). */
export const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';
const OBJECT_ID = new RegExp(OBJECT_ID_PATTERN);

/** A malformed id is the client's mistake (400), never a CastError turned into a 500. */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<string, Types.ObjectId> {
  transform(value: string): Types.ObjectId {
    if (typeof value !== 'string' || !OBJECT_ID.test(value)) {
      throw new BadRequestException(
        `"${truncate(value)}" is not a valid id (24 hexadecimal characters)`,
      );
    }
    return new Types.ObjectId(value);
  }
}

function truncate(value: unknown): string {
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
