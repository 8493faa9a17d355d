import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ReqMeta } from '../../common/http/request-meta';
import type { RequestMeta } from '../../common/http/request-meta';
import { canonicalOr400 } from './context';
import { DefaultsWriteGuard } from './defaults-write.guard';
import { DefaultsWriteService } from './defaults-write.service';
import { FeedbackRateGuard } from './feedback-rate.guard';
import { BatchDto, FeedbackDto, PredictDto } from './dto/defaults.dto';
import { ModelService } from './model.service';
import { PredictService } from './predict.service';

/** Batch writes, predict, feedback and the learned model (static paths beside /defaults/:key). */
@ApiTags('defaults')
@Controller('defaults')
export class DefaultsOpsController {
  constructor(
    private readonly writes: DefaultsWriteService,
    private readonly predictions: PredictService,
    private readonly models: ModelService,
  ) {}

  @Post('batch')
  @HttpCode(HttpStatus.OK)
  @Auth({ scopes: ['defaults:write'], forbidden: 'Not admin / no defaults:write scope' })
  @UseGuards(DefaultsWriteGuard)
  @ApiOperation({ summary: 'Upserts and deletes in one transaction: all applied, or none' })
  @ApiOkResponse({ description: '{upserted, deleted, items}' })
  @ApiUnprocessableEntityResponse({
    description: 'errors: [{index, code, message}] for every failing item; nothing applied',
  })
  @ApiPayloadTooLargeResponse({ description: 'More than DEFAULTS_BATCH_MAX items' })
  batch(@Body() dto: BatchDto, @CurrentPrincipal() p: Principal, @ReqMeta() meta: RequestMeta) {
    return this.writes.batch(dto.items, p.userId, meta);
  }

  @Post('predict')
  @HttpCode(HttpStatus.OK)
  @Auth({ scopes: ['defaults:read'] })
  @ApiOperation({ summary: 'Rank candidate values by the learned score; value null below DEFAULTS_PREDICT_THRESHOLD' })
  @ApiOkResponse({ description: '{value, score, confidence, reason, best, alternatives, modelVersion}' })
  @ApiNotFoundResponse({ description: 'No stored values and no candidates' })
  predict(@Body() dto: PredictDto) {
    return this.predictions.predict(dto.key, canonicalOr400(dto.context), dto.candidates, dto.alternatives);
  }

  @Post('feedback')
  @Auth({ scopes: ['defaults:write'] })
  @UseGuards(FeedbackRateGuard)
  @ApiOperation({
    summary:
      'Record that a value was accepted or rejected (any logged-in user; API keys need defaults:write). Each user counts as one vote per stored value',
  })
  @ApiCreatedResponse({ description: 'Recorded, with the feature values at this moment' })
  @ApiTooManyRequestsResponse({
    description: 'More than DEFAULTS_FEEDBACK_RATE_LIMIT calls of this user in the window',
  })
  feedback(@Body() dto: FeedbackDto, @CurrentPrincipal() p: Principal) {
    return this.predictions.feedback(
      dto.key,
      canonicalOr400(dto.context),
      dto.value,
      dto.outcome === 'accepted',
      p.userId,
    );
  }

  @Get('model')
  @Auth({ scopes: ['defaults:read'] })
  @ApiOperation({
    summary: 'The model predict uses: weights, version (0 = initial weights), trained_at, hold-out metrics',
  })
  model() {
    return this.models.current();
  }

  @Post('model/train')
  @HttpCode(HttpStatus.OK)
  @Auth({ roles: ['admin'], forbidden: 'Not admin' })
  @ApiOperation({ summary: 'Refit the weights on the recorded feedback now (admins; also runs daily)' })
  @ApiOkResponse({ description: '{trained, model, reason?, metrics?}' })
  train() {
    return this.models.train();
  }
}
