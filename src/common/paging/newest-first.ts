import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { FilterQuery, HydratedDocument, Model, ProjectionType, Types } from 'mongoose';

/**
 * The one way a collection with `created_at` is listed newest first: page numbers for simple UIs,
 * or a keyset cursor (the last item's time and id, `_id` the tie-breaker) that stays stable while
 * items are added. Each collection listed this way has a `{created_at:-1,_id:-1}` index (with its
 * filters' fields first) serving the sort.
 */
export const DEFAULT_PAGE_LIMIT = 20;

/** The paging part of a list route's query; a route's own filters extend it. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100000,
    default: 1,
    description: 'Page number (ignored when cursor is given)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({
    description: 'Opaque cursor from a previous next_cursor',
    minLength: 1,
    pattern: '^[A-Za-z0-9_-]+$',
  })
  @IsOptional()
  @IsString()
  @IsBase64({ urlSafe: true }, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}

export interface NewestFirstPage<T> {
  items: T[];
  /** Items matching the filter, over all pages. */
  total: number;
  limit: number;
  /** The page number, or null in cursor mode. */
  page: number | null;
  next_cursor: string | null;
}

/** One page of `model`'s documents matching `filter`, newest first (with `projection`'s fields). */
export async function newestFirstPage<T extends { created_at: Date }>(
  model: Model<T>,
  filter: FilterQuery<T>,
  query: PageQueryDto,
  projection?: ProjectionType<T>,
): Promise<NewestFirstPage<HydratedDocument<T>>> {
  const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
  const pageFilter: FilterQuery<T> = { ...filter };
  let skip = 0;
  let page: number | null = null;
  if (query.cursor !== undefined) {
    const { at, id } = decodeTimeCursor(query.cursor);
    // $and, not $or at the top: the filter may hold an $or of its own (a search).
    pageFilter.$and = [
      ...(filter.$and ?? []),
      { $or: [{ created_at: { $lt: at } }, { created_at: at, _id: { $lt: id } }] },
    ] as FilterQuery<T>[];
  } else {
    page = query.page ?? 1;
    skip = (page - 1) * limit;
  }
  const [found, total] = await Promise.all([
    model
      .find(pageFilter, projection)
      .sort({ created_at: -1, _id: -1 })
      .skip(skip)
      .limit(limit + 1)
      .exec(),
    model.countDocuments(filter).exec(),
  ]);
  const hasMore = found.length > limit;
  const items = hasMore ? found.slice(0, limit) : found;
  const last = items[items.length - 1];
  return {
    items,
    total,
    limit,
    page,
    next_cursor: hasMore && last ? encodeTimeCursor(last.created_at, last._id) : null,
  };
}

/** A keyset cursor: the last item's time (ms) and id, base64url so it stays opaque. */
export function encodeTimeCursor(at: Date, id: Types.ObjectId): string {
  return Buffer.from(`${at.getTime()}:${id.toHexString()}`).toString('base64url');
}

export function decodeTimeCursor(cursor: string): { at: Date; id: Types.ObjectId } {
  const match = /^(\d{1,15}):([0-9a-f]{24})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) throw new BadRequestException('cursor is not a cursor this API issued');
  return { at: new Date(Number(match[1])), id: new Types.ObjectId(match[2]) };
}
