import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Types } from 'mongoose';
import { Audited } from '../audit/audited.decorator';
import { type Actor, CurrentActor, RequireRole } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyListResponseDto,
  CreateApiKeyDto,
  CreatedApiKeyResponseDto,
  toApiKeyResponse,
} from './dto/api-key.dto';

/** Any account manages its own keys; an admin manages everyone's (ApiKeysService). */
@ApiTags('instructors')
@RequireRole('assistant')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid body or id' })
@ApiNotFoundResponse({
  type: ErrorBodyDto,
  description:
    "No such instructor or key, or another instructor's (only admins manage others' keys)",
})
@Controller('api/instructors/:id/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Audited('api_key.created')
  @ApiOperation({
    summary: 'Create an API key for an instructor (the key is shown once)',
    description:
      "Admins create keys for anyone; other accounts for themselves, expiring no later than the key used to ask (no expiry asked: that key's; a later one: 400). Only a hash of the key is kept: copy it from this answer.",
  })
  @ApiObjectIdParam('id', 'Instructor id')
  @ApiBody({ type: CreateApiKeyDto, required: false })
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'The account is disabled' })
  async create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    const { doc, key } = await this.keys.create(actor, id, dto);
    const shown = toApiKeyResponse(doc);
    return {
      id: shown.id,
      key,
      prefix: shown.prefix,
      created_at: shown.created_at,
      expires_at: shown.expires_at,
    };
  }

  @Get()
  @ApiOperation({ summary: "An instructor's API keys, newest first, without their secrets" })
  @ApiObjectIdParam('id', 'Instructor id')
  @ApiOkResponse({ type: ApiKeyListResponseDto })
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<ApiKeyListResponseDto> {
    return { items: (await this.keys.list(actor, id)).map(toApiKeyResponse) };
  }

  @Delete(':key_id')
  @Audited('api_key.revoked')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Revoke an API key',
    description:
      'Refused at once on the instance that handled this request, within 5 s on the others. Revoking a revoked key changes nothing.',
  })
  @ApiObjectIdParam('id', 'Instructor id')
  @ApiObjectIdParam('key_id', 'API key id')
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Param('key_id', ParseObjectIdPipe) keyId: Types.ObjectId,
  ): Promise<void> {
    await this.keys.revoke(actor, id, keyId);
  }
}
