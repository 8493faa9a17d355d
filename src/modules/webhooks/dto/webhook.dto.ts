import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { PageDto } from '../../../common/http/page';
import { SUBSCRIBABLE_EVENTS } from '../webhook-events';

const URL_OPTS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/nexcore' })
  @IsUrl(URL_OPTS)
  @MaxLength(2048)
  url: string;

  @ApiProperty({ enum: SUBSCRIBABLE_EVENTS, isArray: true, example: ['feedback.received'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsIn(SUBSCRIBABLE_EVENTS, { each: true })
  events: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL_OPTS)
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ enum: SUBSCRIBABLE_EVENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsIn(SUBSCRIBABLE_EVENTS, { each: true })
  events?: string[];

  @ApiPropertyOptional({ description: 'Re-enabling also clears the failure streak' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export { PageQueryDto as WebhookPageQueryDto } from '../../../common/http/page-query.dto';

export class WebhookEndpointDto {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) events: string[];
  @ApiPropertyOptional({ nullable: true }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiPropertyOptional({ nullable: true }) disabledReason: string | null;
  @ApiPropertyOptional({ nullable: true }) failingSince: Date | null;
  @ApiPropertyOptional({ nullable: true, description: 'Until then the previous secret also signs' })
  previousSecretExpiresAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class WebhookWithSecretDto {
  @ApiProperty({ type: WebhookEndpointDto }) endpoint: WebhookEndpointDto;
  @ApiProperty({ example: 'whsec_...', description: 'Shown only in this response' }) secret: string;
}

export class WebhookAttemptDto {
  @ApiProperty() attemptNo: number;
  @ApiPropertyOptional({ nullable: true }) statusCode: number | null;
  @ApiProperty() latencyMs: number;
  @ApiProperty() success: boolean;
  @ApiPropertyOptional({ nullable: true }) error: string | null;
  @ApiPropertyOptional({ nullable: true }) responseSnippet: string | null;
  @ApiProperty() createdAt: Date;
}

export class WebhookDeliveryDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Sent as webhook-id' }) messageId: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty() nextAttemptAt: Date;
  @ApiPropertyOptional({ nullable: true }) completedAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: [WebhookAttemptDto] }) attemptLog: WebhookAttemptDto[];
}

export class WebhookDeliveryPageDto extends PageDto(WebhookDeliveryDto) {}

export class WebhookEndpointPageDto extends PageDto(WebhookEndpointDto) {}
