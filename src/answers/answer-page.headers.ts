import { privatePageHeaders } from '../common/http/private-page-headers';

/** Headers on every answer page: the private-page set (src/common/http/private-page-headers.ts). */
export const answerPageHeaders = privatePageHeaders;
