import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ReqMeta } from '../../common/http/request-meta';
import type { RequestMeta } from '../../common/http/request-meta';
import {
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookEndpointDto,
  WebhookEndpointPageDto,
  WebhookPageQueryDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { toEndpointView, WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Auth({ roles: ['admin'] })
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Register an endpoint; the signing secret (whsec_...) is returned only here' })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  @ApiBadRequestResponse({ description: 'Invalid body, or the URL is refused by the SSRF guard (code egress-refused)' })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateWebhookDto, @ReqMeta() meta: RequestMeta) {
    return this.webhooks.create(p.userId, dto, meta);
  }

  @Get()
  @ApiOperation({ summary: 'List endpoints (never their secrets)' })
  @ApiOkResponse({ type: WebhookEndpointPageDto })
  list(@Query() q: WebhookPageQueryDto) {
    return this.webhooks.list(q.page, q.limit);
  }

  @Post('deliveries/:deliveryId/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a delivery again (same webhook-id), restarting the retry schedule' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiNotFoundResponse({ description: 'No such delivery' })
  redeliver(
    @CurrentPrincipal() p: Principal,
    @Param('deliveryId', ParseUUIDPipe) id: string,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.webhooks.redeliver(p.userId, id, meta);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook endpoint' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiNotFoundResponse({ description: 'No such endpoint' })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<WebhookEndpointDto> {
    return toEndpointView(await this.webhooks.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, events, description or enabled' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiNotFoundResponse({ description: 'No such endpoint' })
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateWebhookDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.webhooks.update(p.userId, id, dto, meta);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook endpoint and its deliveries' })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted with its deliveries' })
  @ApiNotFoundResponse({ description: 'No such endpoint' })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    await this.webhooks.remove(p.userId, id, meta);
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'New secret; the previous one also signs for WEBHOOK_SECRET_OVERLAP_SECONDS' })
  @ApiOkResponse({ type: WebhookWithSecretDto })
  rotate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @ReqMeta() meta: RequestMeta) {
    return this.webhooks.rotateSecret(p.userId, id, meta);
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a webhook.ping event to this endpoint' })
  @ApiAcceptedResponse({ description: 'Queued; see GET /:id/deliveries' })
  test(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.webhooks.ping(p.userId, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Deliveries to this endpoint, newest first, each with its attempts' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() q: WebhookPageQueryDto) {
    return this.webhooks.deliveries(id, q.page, q.limit);
  }
}
