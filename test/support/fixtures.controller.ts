import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsEmail, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Public } from '../../src/common/http/public.decorator';
import { NoTimeout } from '../../src/common/http/no-timeout.decorator';

export class EchoDto {
  @IsString()
  @MaxLength(20)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(10)
  count!: number;

  @IsOptional()
  @IsEmail()
  email?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Test-only routes that exercise the global wiring (mounted by bootApp, never in production). */
@Public()
@Controller({ path: 'test', version: '1' })
export class FixturesController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @Post('echo')
  echo(@Body() body: EchoDto) {
    return { received: body, isDto: body instanceof EchoDto };
  }

  @Get('items/:id')
  item(@Param('id') id: string) {
    return { id };
  }

  @Get('boom')
  boom() {
    throw new Error('secret internal detail: password=hunter2 at db.internal');
  }

  @Get('duplicate')
  async duplicate() {
    await this.ds.query(
      'CREATE TEMP TABLE IF NOT EXISTS dup_probe (x int UNIQUE); INSERT INTO dup_probe VALUES (1), (1)',
    );
  }

  @Get('slow/:ms')
  async slow(@Param('ms') ms: string) {
    await sleep(Number(ms));
    return { slept: Number(ms) };
  }

  @NoTimeout()
  @Get('slow-exempt/:ms')
  async slowExempt(@Param('ms') ms: string) {
    await sleep(Number(ms));
    return { slept: Number(ms) };
  }

  @Get('big')
  big() {
    return { text: 'nexcore '.repeat(2000) };
  }
}
