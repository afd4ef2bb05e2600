import type { FastifyReply } from 'fastify';

/**
 * The headers of every CSV download: the media type with its charset, a file name for the
 * browser's save dialog, and no caching (the files hold people's answers). The file name is ours
 * (ids, never user text), restricted to safe characters all the same.
 */
export function csvDownloadHeaders(reply: FastifyReply, fileName: string): void {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${safe}"`)
    .header('cache-control', 'no-store');
}
