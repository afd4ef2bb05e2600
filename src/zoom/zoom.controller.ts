import { Controller, Get } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { TestZoomResponseDto, toTestZoomResponse } from './dto/test-zoom.response';
import { ZoomDiagnosticsService } from './zoom-diagnostics.service';

@ApiTags('zoom')
@RequireRole('instructor')
@Controller('api')
export class ZoomController {
  constructor(private readonly diagnostics: ZoomDiagnosticsService) {}

  @Get('test-zoom')
  @ApiOperation({
    summary: 'Check the Zoom configuration',
    description:
      'Asks Zoom for a Server-to-Server OAuth token with the configured credentials and reports ' +
      'the account, the API base URL and which needed scopes the token lacks. Never returns the token.',
  })
  @ApiOkResponse({ type: TestZoomResponseDto })
  @ApiBadGatewayResponse({
    type: ErrorBodyDto,
    description:
      "Zoom refused the token request or did not answer; `message` says what to check and `details` holds Zoom's code, reason and tracking id",
  })
  async testZoom(): Promise<TestZoomResponseDto> {
    return toTestZoomResponse(await this.diagnostics.testConnection());
  }
}
