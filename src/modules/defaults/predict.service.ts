import { BadRequestException, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { defaultsConfig, DefaultsConfig } from '../../config/namespaces';
import { DefaultsCache } from './cache/defaults-cache';
import { splitCanonical } from './context';
import { DefaultsRepository } from './defaults.repository';
import { FeedbackRepository } from './feedback.repository';
import { ModelService } from './model.service';
import { distinctValues, featuresOf, FeatureContext } from './scoring/candidates';
import { FeatureVector } from './scoring/features';
import { score, ScoredFeatures } from './scoring/model';
import { problemBody } from '../../common/errors/error-code';

export interface RankedCandidate {
  value: unknown;
  score: number;
  /** Context of the stored row the statistics came from; null if the value is not stored. */
  matchedContext: string | null;
  features: FeatureVector;
  contributions: ScoredFeatures['contributions'];
}

export interface Prediction {
  key: string;
  context: string;
  value: unknown;
  score: number;
  confidence: number;
  threshold: number;
  reason: string;
  modelVersion: number;
  best: RankedCandidate;
  alternatives: RankedCandidate[];
}

@Injectable()
export class PredictService {
  constructor(
    private readonly repo: DefaultsRepository,
    private readonly feedbackRepo: FeedbackRepository,
    private readonly models: ModelService,
    private readonly cache: DefaultsCache,
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
  ) {}

  async predict(
    key: string,
    context: string,
    candidates: unknown[] | undefined,
    maxAlternatives?: number,
  ): Promise<Prediction> {
    const p = this.cfg.predict;
    if (candidates && candidates.length > p.maxCandidates) {
      throw new PayloadTooLargeException(
        problemBody({
          message: `At most ${p.maxCandidates} candidates`,
          code: 'too-many-candidates',
        }),
      );
    }
    if (candidates?.some((c) => c === null || c === undefined))
      throw new BadRequestException(problemBody({ message: 'candidates may not be null', code: 'invalid-candidate' }));
    const rows = await this.repo.forKey(key, p.maxCandidates);
    const values = candidates?.length ? candidates : distinctValues(rows);
    if (!values.length)
      throw new NotFoundException(
        problemBody({
          message: `No stored values for key "${key}" and no candidates given`,
          code: 'no-candidates',
        }),
      );
    const model = await this.models.current();
    const fc = this.featureContext(context);
    const ranked = values
      .map((v) => {
        const c = featuresOf(v, rows, fc);
        const s = score(model.weights, c.features);
        return {
          value: v,
          score: round(s.score),
          matchedContext: c.row?.context ?? null,
          features: roundAll(c.features),
          contributions: roundAll(s.contributions),
        };
      })
      .sort((a, b) => b.score - a.score);
    const best = ranked[0];
    const above = best.score >= p.threshold;
    return {
      key,
      context,
      value: above ? best.value : null,
      score: best.score,
      confidence: best.score,
      threshold: p.threshold,
      reason: above ? 'best candidate is at or above the threshold' : 'below threshold',
      modelVersion: model.version,
      best,
      alternatives: ranked.slice(1, 1 + Math.min(maxAlternatives ?? p.maxAlternatives, p.maxAlternatives)),
    };
  }

  /**
   * Records an outcome with the features as they are now, and counts it as the principal's one
   * vote on the row (see DefaultsRepository.recordVote and docs/defaults.md, trust model).
   * Raises no `defaults.changed`: no value changed, and one event per call let any user flood
   * every subscribed endpoint.
   */
  async feedback(key: string, context: string, value: unknown, accepted: boolean, actorId: string) {
    if (value === null || value === undefined)
      throw new BadRequestException(problemBody({ message: 'value is required', code: 'invalid-value' }));
    if (Buffer.byteLength(JSON.stringify(value)) > this.cfg.maxValueBytes) {
      throw new PayloadTooLargeException(
        problemBody({
          message: `value is larger than ${this.cfg.maxValueBytes} bytes as JSON`,
          code: 'value-too-large',
        }),
      );
    }
    const rows = await this.repo.forKey(key, this.cfg.predict.maxCandidates);
    const c = featuresOf(value, rows, this.featureContext(context));
    const r = await this.repo.transaction(async (m) => {
      const feedbackId = await this.feedbackRepo.insert(m, {
        key,
        context,
        value,
        accepted,
        ...c.features,
        defaultValueId: c.row?.id ?? null,
        actorId,
      });
      const counted = c.row ? await this.repo.recordVote(m, c.row.id, actorId, accepted, feedbackId) : false;
      return { feedbackId, counted };
    });
    // Counters feed predict, not resolve, but invalidating keeps every cached view honest.
    if (r.counted) await this.cache.invalidate([key]);
    return {
      id: r.feedbackId,
      key,
      context,
      outcome: accepted ? 'accepted' : 'rejected',
      matchedContext: c.row?.context ?? null,
      features: roundAll(c.features),
    };
  }

  private featureContext(context: string): FeatureContext {
    const p = this.cfg.predict;
    return {
      asked: splitCanonical(context),
      now: new Date(),
      settings: {
        usageSaturation: p.usageSaturation,
        recencyHalfLifeHours: p.recencyHalfLifeHours,
        contextWeights: p.contextWeights,
      },
    };
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
function roundAll<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v as number)])) as T;
}
