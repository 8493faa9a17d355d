import { Global, Module } from '@nestjs/common';
import { PrivacyRegistry } from './privacy-registry';

/** Global so that any feature module can inject the registry and contribute to export/erase. */
@Global()
@Module({ providers: [PrivacyRegistry], exports: [PrivacyRegistry] })
export class PrivacyModule {}
