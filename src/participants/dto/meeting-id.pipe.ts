import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/**
 * Zoom meeting and webinar numbers are digits (9 to 11 today); 5 to 20 leaves room without
 * accepting anything else (same rule as the broadcasts API). An occurrence UUID is not accepted
 * in the path: UUIDs may hold `/`, which needs double URL-encoding (ZOOM.md §5); they go in the
 * `occurrence` query parameter instead.
 */
export const MEETING_ID_PATTERN = /^\d{5,20}$/;

@Injectable()
export class ParseMeetingIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !MEETING_ID_PATTERN.test(value)) {
      const shown = String(value).slice(0, 40);
      throw new BadRequestException(
        `"${shown}" is not a Zoom meeting number (5 to 20 digits, no spaces)`,
      );
    }
    return value;
  }
}
