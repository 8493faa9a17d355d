import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorators';
import { NoTimeout } from '../../common/http/no-timeout.decorator';
import {
  FeedbackDto,
  FeedbackExportQueryDto,
  FeedbackListQueryDto,
  FeedbackPageDto,
  UpdateFeedbackDto,
} from './dto/feedback.dto';
import { exportStream } from './feedback-export';
import { FeedbackService } from './feedback.service';

@ApiTags('feedback')
@Auth({ roles: ['admin'] })
@Controller('feedback')
export class FeedbackAdminController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get()
  @ApiOperation({ summary: 'List feedback, newest first (filter by type, status, date range, text)' })
  @ApiOkResponse({ type: FeedbackPageDto })
  list(@Query() q: FeedbackListQueryDto) {
    const { page, limit, ...filter } = q;
    return this.feedback.list(filter, page, limit);
  }

  @Get('export')
  @NoTimeout()
  @ApiOperation({ summary: 'Stream every matching row as CSV or JSON (oldest first, fetched in batches)' })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'The export, streamed' })
  export(@Query() q: FeedbackExportQueryDto): StreamableFile {
    const { format, ...filter } = q;
    const stream = exportStream(this.feedback.batches(filter), format);
    const stamp = new Date().toISOString().slice(0, 10);
    return new StreamableFile(stream, {
      type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      disposition: `attachment; filename="feedback-${stamp}.${format}"`,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One feedback item' })
  @ApiOkResponse({ type: FeedbackDto })
  @ApiNotFoundResponse({ description: 'No such feedback' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<FeedbackDto> {
    return this.feedback.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Triage: set status new, triaged or closed' })
  @ApiOkResponse({ type: FeedbackDto })
  @ApiNotFoundResponse({ description: 'No such feedback' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateFeedbackDto): Promise<FeedbackDto> {
    return this.feedback.setStatus(id, dto.status);
  }
}
