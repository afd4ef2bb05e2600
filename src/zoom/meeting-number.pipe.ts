import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isMeetingNumber, MEETING_NUMBER_RULE } from './meeting-id';

/**
 * A `meeting_id` path parameter: a meeting number by the one rule (meeting-id.ts), else a 400
 * naming it. Occurrence UUIDs go in a query parameter instead (they may hold `/`).
 */
@Injectable()
export class ParseMeetingNumberPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isMeetingNumber(value)) {
      const shown = String(value).slice(0, 40);
      throw new BadRequestException(`"${shown}" is not ${MEETING_NUMBER_RULE}`);
    }
    return value;
  }
}
