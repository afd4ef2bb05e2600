import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Marks a route that needs no instructor key (health, docs, Zoom webhook, answer pages). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
