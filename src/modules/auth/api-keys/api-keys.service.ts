import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../../../common/audit/audit.service';
import { AppCache } from '../../../common/cache/app-cache.service';
import { RequestMeta } from '../../../common/http/request-meta';
import { authConfig, AuthConfig } from '../../../config/namespaces';
import { ApiKeyEntity } from './api-key.entity';
import { formatApiKey, newApiKeyPrefix, newApiKeySecret, parseApiKey } from './api-key-format';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKeyUsageTracker } from './api-key-usage.tracker';
import { ApiKeysRepository } from './api-keys.repository';
import { UnknownPrefixCache } from './unknown-prefix.cache';
import { problemBody } from '../../../common/errors/error-code';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  rotatedAt: Date | null;
  previousSecretExpiresAt: Date | null;
}

export function toApiKeyView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    expiresAt: k.expiresAt,
    lastUsedAt: k.lastUsedAt,
    createdAt: k.createdAt,
    rotatedAt: k.rotatedAt,
    previousSecretExpiresAt: k.previousExpiresAt,
  };
}

/** The record the guard needs, as cached (dates as ISO strings after the JSON round trip). */
interface CachedKey {
  id: string;
  userId: string;
  scopes: string[];
  secretHash: string;
  previousSecretHash: string | null;
  previousExpiresAt: string | null;
  expiresAt: string | null;
  revoked: boolean;
}

@Injectable()
export class ApiKeysService {
  private readonly unknownPrefixes = new UnknownPrefixCache();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly hasher: ApiKeyHasher,
    private readonly usage: ApiKeyUsageTracker,
    private readonly cache: AppCache,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  async create(
    userId: string,
    input: { name: string; scopes: string[]; expiresAt?: Date },
    meta: RequestMeta,
  ): Promise<{ key: ApiKeyView; secret: string }> {
    if (input.expiresAt && input.expiresAt <= new Date())
      throw new BadRequestException('expiresAt must be in the future');
    const prefix = newApiKeyPrefix();
    const secret = newApiKeySecret();
    this.unknownPrefixes.delete(prefix);
    const key = await this.keys.create({
      userId,
      name: input.name,
      prefix,
      secretHash: this.hasher.hash(prefix, secret),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ?? null,
    });
    await this.audit.record(
      {
        action: 'api-key.create',
        actorId: userId,
        entityType: 'api-key',
        entityId: key.id,
        newValues: { name: key.name, scopes: key.scopes },
      },
      meta,
    );
    return { key: toApiKeyView(key), secret: formatApiKey(prefix, secret) };
  }

  async list(userId: string): Promise<ApiKeyView[]> {
    return (await this.keys.listForUser(userId)).map(toApiKeyView);
  }

  async revoke(userId: string, id: string, meta: RequestMeta): Promise<void> {
    const key = await this.owned(userId, id);
    await this.keys.update(key.id, { revokedAt: new Date() });
    await this.cache.del(this.cacheKey(key.prefix));
    await this.audit.record(
      { action: 'api-key.revoke', actorId: userId, entityType: 'api-key', entityId: key.id },
      meta,
    );
  }

  /** Every key of the user stops at once (e.g. with a password change after a compromise). */
  async revokeAll(userId: string, reason: string, meta: RequestMeta): Promise<number> {
    const prefixes = await this.keys.revokeAllForUser(userId);
    await this.cache.del(...prefixes.map((p) => this.cacheKey(p)));
    await this.audit.record(
      {
        action: 'api-key.revoke-all',
        actorId: userId,
        entityType: 'user',
        entityId: userId,
        newValues: { reason, count: prefixes.length },
      },
      meta,
    );
    return prefixes.length;
  }

  /**
   * New secret, same key id/prefix/scopes; the old secret works for the grace period. Refused
   * (409 api-key-rotation-pending) while a previous secret is still in its grace period: a
   * second rotation would end that secret early, and a secret once handed out with a 200 must
   * keep working until its grace ends. Under concurrency the row lock makes exactly one of
   * several simultaneous rotations win; the others see its grace period and get 409.
   */
  async rotate(userId: string, id: string, meta: RequestMeta): Promise<{ key: ApiKeyView; secret: string }> {
    const secret = newApiKeySecret();
    const key = await this.keys.updateLocked(id, userId, (current) => {
      const now = new Date();
      if (current.previousExpiresAt && current.previousExpiresAt > now) {
        throw new ConflictException(
          problemBody({
            message:
              'The previous secret of this key is still in its grace period; rotate again after it ends (or revoke the key and create a new one)',
            code: 'api-key-rotation-pending',
            previousSecretExpiresAt: current.previousExpiresAt.toISOString(),
          }),
        );
      }
      return {
        secretHash: this.hasher.hash(current.prefix, secret),
        previousSecretHash: current.secretHash,
        previousExpiresAt: new Date(now.getTime() + this.cfg.apiKeyGraceSeconds * 1000),
        rotatedAt: now,
      };
    });
    if (!key) throw new NotFoundException('API key not found');
    await this.cache.del(this.cacheKey(key.prefix));
    await this.audit.record(
      {
        action: 'api-key.rotate',
        actorId: userId,
        entityType: 'api-key',
        entityId: key.id,
        newValues: { previousSecretExpiresAt: key.previousExpiresAt },
      },
      meta,
    );
    return { key: toApiKeyView(key), secret: formatApiKey(key.prefix, secret) };
  }

  /**
   * The key's owner and scopes when `raw` is a live key, else null. Lookup by prefix (cached),
   * constant-time comparison of HMAC digests against the current and, during the grace
   * period, the previous secret.
   */
  async authenticate(raw: string): Promise<{ id: string; userId: string; scopes: string[] } | null> {
    // Malformed keys and recently seen unknown prefixes are refused without any lookup.
    const parsed = parseApiKey(raw);
    if (!parsed || this.unknownPrefixes.has(parsed.prefix)) return null;
    const key = await this.cache.wrap(
      this.cacheKey(parsed.prefix),
      () => this.load(parsed.prefix),
      this.cfg.statusCacheSeconds,
    );
    if (!key) this.unknownPrefixes.add(parsed.prefix);
    if (!key || key.revoked) return null;
    const now = Date.now();
    if (key.expiresAt && Date.parse(key.expiresAt) <= now) return null;
    const digest = this.hasher.hash(parsed.prefix, parsed.secret);
    const current = this.hasher.matches(key.secretHash, digest);
    const previous =
      key.previousExpiresAt !== null &&
      Date.parse(key.previousExpiresAt) > now &&
      this.hasher.matches(key.previousSecretHash, digest);
    if (!current && !previous) return null;
    this.usage.touch(key.id);
    return { id: key.id, userId: key.userId, scopes: key.scopes };
  }

  private async load(prefix: string): Promise<CachedKey | undefined> {
    const k = await this.keys.findByPrefix(prefix);
    if (!k) return undefined;
    return {
      id: k.id,
      userId: k.userId,
      scopes: k.scopes,
      secretHash: k.secretHash,
      previousSecretHash: k.previousSecretHash,
      previousExpiresAt: k.previousExpiresAt?.toISOString() ?? null,
      expiresAt: k.expiresAt?.toISOString() ?? null,
      revoked: k.revokedAt !== null,
    };
  }

  private async owned(userId: string, id: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findOwned(id, userId);
    if (!key) throw new NotFoundException('API key not found');
    return key;
  }

  private cacheKey(prefix: string): string {
    return `auth:api-key:${prefix}`;
  }
}
