import { Inject, Injectable, Logger } from '@nestjs/common';
import { defaultsConfig, DefaultsConfig } from '../../config/namespaces';
import { FeedbackRepository } from './feedback.repository';
import { ModelRepository } from './model.repository';
import { Weights } from './scoring/model';
import { evaluate, Example, fitLogistic, Metrics, splitHoldout } from './scoring/train';

export interface ModelView {
  /** 0 = the initial weights from configuration (nothing trained yet). */
  version: number;
  weights: Weights;
  trainedAt: string | null;
  metrics: Record<string, number | null> | null;
}

export type TrainResult =
  | { trained: true; model: ModelView }
  | { trained: false; reason: string; model: ModelView; metrics?: Record<string, number | null> };

/** Other instances see a new model within this time (this one at once). */
const MODEL_CACHE_MS = 10_000;

@Injectable()
export class ModelService {
  private readonly logger = new Logger('DefaultsModel');
  private cached?: { at: number; model: ModelView };

  constructor(
    private readonly models: ModelRepository,
    private readonly feedback: FeedbackRepository,
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
  ) {}

  /** The newest stored model, or the initial weights. */
  async current(): Promise<ModelView> {
    if (this.cached && Date.now() - this.cached.at < MODEL_CACHE_MS) return this.cached.model;
    const row = await this.models.newest();
    const model: ModelView = row
      ? {
          version: row.version,
          weights: row.weights as unknown as Weights,
          trainedAt: row.trainedAt.toISOString(),
          metrics: row.metrics,
        }
      : { version: 0, weights: { ...this.cfg.initialWeights }, trainedAt: null, metrics: null };
    this.cached = { at: Date.now(), model };
    return model;
  }

  /**
   * Fits the weights on the newest feedback events (features as recorded at the time; one per
   * principal and (key, context), at most DEFAULTS_TRAIN_MAX_EVENTS_PER_PRINCIPAL each), starting
   * from the current model. 20 % of the events (chosen by id hash) are held out; the new model
   * is stored only if its hold-out log-loss is no worse than the current model's on the same
   * events, so a bad run never replaces a good model.
   */
  async train(): Promise<TrainResult> {
    const current = await this.current();
    const events = await this.feedback.forTraining(this.cfg.train.maxEvents, this.cfg.train.maxEventsPerPrincipal);
    if (events.length < this.cfg.train.minEvents) {
      return {
        trained: false,
        reason: `${events.length} feedback event(s), at least ${this.cfg.train.minEvents} needed`,
        model: current,
      };
    }
    const { train, test } = splitHoldout(events, (e) => e.id);
    const toExample = (e: (typeof events)[number]): Example => ({
      x: { usage: e.usage, success: e.success, similarity: e.similarity, recency: e.recency },
      y: e.accepted ? 1 : 0,
    });
    const trainSet = train.map(toExample);
    const testSet = test.map(toExample);
    const weights = fitLogistic(trainSet, current.weights);
    const after = evaluate(weights, testSet);
    const before = evaluate(current.weights, testSet);
    const metrics = {
      logLoss: finite(after.logLoss),
      auc: finite(after.auc),
      previousLogLoss: finite(before.logLoss),
      previousAuc: finite(before.auc),
      previousVersion: current.version,
      trainSize: trainSet.length,
      testSize: testSet.length,
    };
    if (!better(after, before)) {
      this.logger.log(
        `trained model not kept: hold-out log-loss ${after.logLoss.toFixed(4)} vs ${before.logLoss.toFixed(4)}`,
      );
      return { trained: false, reason: 'the new weights were not better on the hold-out set', model: current, metrics };
    }
    const row = await this.models.insertNext({ weights: { ...weights }, metrics, trainedAt: new Date() });
    const model: ModelView = { version: row.version, weights, trainedAt: row.trainedAt.toISOString(), metrics };
    this.cached = { at: Date.now(), model };
    this.logger.log(
      `model v${row.version} trained on ${trainSet.length} events: log-loss ${after.logLoss.toFixed(4)}, AUC ${metrics.auc ?? 'n/a'}`,
    );
    return { trained: true, model };
  }
}

function better(after: Metrics, before: Metrics): boolean {
  if (!Number.isFinite(before.logLoss)) return true;
  return after.logLoss <= before.logLoss;
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? Number(n.toFixed(6)) : null;
}
