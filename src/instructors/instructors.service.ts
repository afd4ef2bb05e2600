import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import type { Role } from '../common/auth/actor';
import { Clock } from '../common/clock';
import { isDuplicateKey } from '../database/duplicate-key';
import { CredentialCache } from './credential-cache';
import { CreateInstructorDto, PatchInstructorDto } from './dto/create-instructor.dto';
import { ListInstructorsQueryDto } from './dto/list-instructors.dto';
import { Instructor, InstructorDocument } from './schemas/instructor.schema';

export interface InstructorPage {
  items: InstructorDocument[];
  total: number;
  limit: number;
  page: number | null;
  next_cursor: string | null;
}

/** Instructor accounts: who they are, their role, and whether they are disabled. */
@Injectable()
export class InstructorsService {
  constructor(
    @InjectModel(Instructor.name) private readonly instructors: Model<Instructor>,
    private readonly cache: CredentialCache,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateInstructorDto): Promise<InstructorDocument> {
    try {
      return await this.instructors.create({
        name: dto.name,
        email: dto.email.toLowerCase(),
        role: dto.role,
        zoom_user_id: dto.zoom_user_id ?? null,
        disabled_at: null,
      });
    } catch (error) {
      throw isDuplicateKey(error) ? duplicateEmail(dto.email) : error;
    }
  }

  /**
   * The instructor with this email, created with the given name and role if there is none
   * (the development seed, src/dev/main.ts): safe to run at every start, and by two at once.
   */
  async ensure(seed: { name: string; email: string; role: Role }): Promise<InstructorDocument> {
    const email = seed.email.toLowerCase();
    const existing = await this.instructors.findOne({ email }).exec();
    if (existing) return existing;
    try {
      return await this.instructors.create({
        ...seed,
        email,
        zoom_user_id: null,
        disabled_at: null,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.instructors.findOne({ email }).exec();
      if (!winner) throw error;
      return winner;
    }
  }

  async findById(id: Types.ObjectId): Promise<InstructorDocument> {
    const instructor = await this.instructors.findById(id).exec();
    if (!instructor) throw notFound(id);
    return instructor;
  }

  /** For the key check: the account, or null when it no longer exists. */
  async findForKey(id: Types.ObjectId): Promise<InstructorDocument | null> {
    return this.instructors.findById(id).exec();
  }

  /** Newest first; page numbers, or a keyset cursor that stays stable under inserts. */
  async list(query: ListInstructorsQueryDto): Promise<InstructorPage> {
    const limit = query.limit ?? 20;
    const filter: FilterQuery<Instructor> = {};
    if (query.role !== undefined) filter.role = query.role;
    const pageFilter: FilterQuery<Instructor> = { ...filter };
    let skip = 0;
    let page: number | null = null;
    if (query.cursor !== undefined) {
      const { createdAt, id } = decodeCursor(query.cursor);
      pageFilter.$or = [
        { created_at: { $lt: createdAt } },
        { created_at: createdAt, _id: { $lt: id } },
      ];
    } else {
      page = query.page ?? 1;
      skip = (page - 1) * limit;
    }
    const [items, total] = await Promise.all([
      this.instructors
        .find(pageFilter)
        .sort({ created_at: -1, _id: -1 })
        .skip(skip)
        .limit(limit + 1)
        .exec(),
      this.instructors.countDocuments(filter).exec(),
    ]);
    const hasMore = items.length > limit;
    const pageItems = hasMore ? items.slice(0, limit) : items;
    const last = pageItems[pageItems.length - 1];
    return {
      items: pageItems,
      total,
      limit,
      page,
      next_cursor: hasMore && last ? encodeCursor(last) : null,
    };
  }

  /**
   * PATCH: only the fields sent. Any change drops the account's keys from this instance's cache,
   * so a disabled account (or a lowered role) is refused here at once and on other instances
   * within the cache's time to live (credential-cache.ts).
   */
  async update(id: Types.ObjectId, dto: PatchInstructorDto): Promise<InstructorDocument> {
    const instructor = await this.findById(id);
    if (dto.name !== undefined) instructor.name = dto.name;
    if (dto.email !== undefined) instructor.email = dto.email.toLowerCase();
    if (dto.role !== undefined) instructor.role = dto.role;
    if (dto.zoom_user_id !== undefined) instructor.zoom_user_id = dto.zoom_user_id;
    if (dto.disabled === true && !instructor.disabled_at) instructor.disabled_at = this.clock.now();
    if (dto.disabled === false) instructor.disabled_at = null;
    try {
      await instructor.save();
    } catch (error) {
      throw isDuplicateKey(error) ? duplicateEmail(instructor.email) : error;
    } finally {
      this.cache.forgetInstructor(id.toHexString());
    }
    return instructor;
  }
}

function notFound(id: Types.ObjectId): NotFoundException {
  return new NotFoundException(`Instructor ${id.toHexString()} not found`);
}

function duplicateEmail(email: string): ConflictException {
  return new ConflictException(`An instructor with email ${email.toLowerCase()} already exists`);
}

function encodeCursor(doc: InstructorDocument): string {
  return Buffer.from(`${doc.created_at.getTime()}:${doc._id.toHexString()}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: Types.ObjectId } {
  const match = /^(\d{1,15}):([0-9a-f]{24})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) throw new BadRequestException('cursor is not a cursor this API issued');
  return { createdAt: new Date(Number(match[1])), id: new Types.ObjectId(match[2]) };
}
