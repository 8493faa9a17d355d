import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'nexcore:isPublic';
/** Marks a route (or controller) as reachable without credentials; everything else is denied. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
