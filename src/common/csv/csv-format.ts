import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOptionalNonNull } from '../validation/is-optional-non-null';

/**
 * How a CSV download is written (issue 18, "CSV everywhere"): the delimiter, and whether the
 * file starts with a UTF-8 byte-order mark. Every CSV route takes `?delimiter=` through
 * CsvFormatQueryDto and turns it into a CsvFormat with csvFormatOf: one rule, one place.
 */
export interface CsvFormat {
  delimiter: ',' | ';';
  bom: boolean;
}

/** Downloads carry a BOM so spreadsheet apps read the UTF-8 (names with accents) as UTF-8. */
export const DEFAULT_CSV_FORMAT: CsvFormat = { delimiter: ',', bom: true };

export const CSV_DELIMITERS = { comma: ',', semicolon: ';' } as const;
export type CsvDelimiterName = keyof typeof CSV_DELIMITERS;

export class CsvFormatQueryDto {
  @ApiPropertyOptional({
    enum: Object.keys(CSV_DELIMITERS),
    default: 'comma',
    description:
      'Field delimiter: `semicolon` for spreadsheet locales whose decimal separator is a comma (numbers are then written with a decimal comma)',
  })
  @IsOptionalNonNull()
  @IsIn(Object.keys(CSV_DELIMITERS))
  delimiter?: CsvDelimiterName;
}

export function csvFormatOf(query: CsvFormatQueryDto | undefined): CsvFormat {
  return { ...DEFAULT_CSV_FORMAT, delimiter: CSV_DELIMITERS[query?.delimiter ?? 'comma'] };
}
