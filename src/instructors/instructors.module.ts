import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { CredentialCache } from './credential-cache';
import { InstructorsController } from './instructors.controller';
import { InstructorsService } from './instructors.service';
import { MeController } from './me.controller';
import { ApiKey, ApiKeySchema } from './schemas/api-key.schema';
import { Instructor, InstructorSchema } from './schemas/instructor.schema';

/** Instructor accounts, their roles and API keys; the auth guard resolves keys through it. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Instructor.name, schema: InstructorSchema },
      { name: ApiKey.name, schema: ApiKeySchema },
    ]),
  ],
  controllers: [MeController, InstructorsController, ApiKeysController],
  providers: [InstructorsService, ApiKeysService, CredentialCache],
  exports: [InstructorsService, ApiKeysService],
})
export class InstructorsModule {}
