import { SetMetadata } from '@nestjs/common';

export const NO_TIMEOUT_KEY = 'nexcore:noTimeout';
/** Long-lived responses (SSE streams) opt out of the request timeout. */
export const NoTimeout = () => SetMetadata(NO_TIMEOUT_KEY, true);
