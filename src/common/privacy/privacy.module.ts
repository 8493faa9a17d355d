import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PrivacyRegistry } from './privacy-registry';

/** Global so that account export/erase can reach the registry; contributors are discovered. */
@Global()
@Module({ imports: [DiscoveryModule], providers: [PrivacyRegistry], exports: [PrivacyRegistry] })
export class PrivacyModule {}
