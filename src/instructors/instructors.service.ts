import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import type { Role } from '../common/auth/actor';
import { Clock } from '../common/clock';
import { newestFirstPage, type NewestFirstPage } from '../common/paging/newest-first';
import { isDuplicateKey } from '../database/duplicate-key';
import { CredentialCache } from './credential-cache';
import { CreateInstructorDto, PatchInstructorDto } from './dto/create-instructor.dto';
import { ListInstructorsQueryDto } from './dto/list-instructors.dto';
import { Instructor, InstructorDocument } from './schemas/instructor.schema';

export type InstructorPage = NewestFirstPage<InstructorDocument>;

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

  /** Newest first, by page or keyset cursor (newestFirstPage). */
  async list(query: ListInstructorsQueryDto): Promise<InstructorPage> {
    const filter: FilterQuery<Instructor> = {};
    if (query.role !== undefined) filter.role = query.role;
    return newestFirstPage(this.instructors, filter, query);
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
