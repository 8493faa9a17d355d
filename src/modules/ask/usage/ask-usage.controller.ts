import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../../common/auth/auth.decorators';
import type { Principal } from '../../../common/auth/principal';
import { AskUsageQueryDto, AskUsageResponseDto } from './ask-usage.dto';
import { AskUsageService, todayOf } from './ask-usage.service';

@ApiTags('ask')
@Controller('ask/usage')
export class AskUsageController {
  constructor(private readonly usage: AskUsageService) {}

  @Get()
  @Auth({ scopes: ['ask:query'] })
  @ApiOperation({ summary: 'Your questions and tokens per UTC day, and what is left of the daily quota' })
  @ApiOkResponse({ type: AskUsageResponseDto })
  async get(@CurrentPrincipal() p: Principal, @Query() q: AskUsageQueryDto): Promise<AskUsageResponseDto> {
    const days = await this.usage.history(p.userId, q.days);
    const today = todayOf(days);
    const quota = this.usage.dailyQuota;
    return { dailyQuota: quota, remainingToday: quota > 0 ? Math.max(0, quota - today.questions) : null, today, days };
  }
}
