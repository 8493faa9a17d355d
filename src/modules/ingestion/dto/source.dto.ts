import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class CreateSourceDto {
  @ApiProperty({ example: 'https://docs.example.com/', description: 'http or https start URL' })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({ description: "Host the crawl stays on; defaults to the URL's host" })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i, { message: 'domain must be a host name' })
  @MaxLength(253)
  domain?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  includeSubdomains?: boolean;

  @ApiPropertyOptional({
    default: 50,
    minimum: 1,
    description: 'Hard limit of pages fetched, up to INGESTION_MAX_PAGES',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxPages?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    description: 'Link depth from the start URL (0 = that page only); unlimited when absent',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  maxDepth?: number;

  @ApiPropertyOptional({ type: [String], description: 'Path prefixes to crawl (all when empty)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^\//, { each: true, message: 'paths must start with /' })
  includePaths?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Path prefixes never crawled' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^\//, { each: true, message: 'paths must start with /' })
  excludePaths?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  respectRobots?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Seed the crawl from /sitemap.xml and robots.txt Sitemap lines' })
  @IsOptional()
  @IsBoolean()
  useSitemap?: boolean;
}

/** `?limit=&offset=` for a source's crawled pages (offset paging: `{ items, total, limit, offset }`). */
export class CrawledPagesQueryDto {
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class JobCountersDto {
  @ApiProperty() discovered: number;
  @ApiProperty() fetched: number;
  @ApiProperty() indexed: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ example: { robots: 0, duplicate: 0, type: 0, size: 0, depth: 0, error: 0 } }) skipped: Record<
    string,
    number
  >;
}

export class JobViewDto {
  @ApiProperty() id: string;
  @ApiProperty() sourceId: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] }) status: string;
  @ApiProperty() maxPages: number;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: JobCountersDto }) counters: JobCountersDto;
  @ApiProperty({ nullable: true }) lastError: string | null;
  @ApiProperty({ nullable: true }) startedAt: Date | null;
  @ApiProperty({ nullable: true }) finishedAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class SourceViewDto {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty() domain: string;
  @ApiProperty() includeSubdomains: boolean;
  @ApiProperty() maxPages: number;
  @ApiProperty({ nullable: true }) maxDepth: number | null;
  @ApiProperty({ type: [String] }) includePaths: string[];
  @ApiProperty({ type: [String] }) excludePaths: string[];
  @ApiProperty() respectRobots: boolean;
  @ApiProperty() useSitemap: boolean;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] }) status: string;
  @ApiPropertyOptional({ description: 'Pages by status, and the chunk count' }) counts?: {
    pages: Record<string, number>;
    chunks: number;
  };
  @ApiPropertyOptional({ type: JobViewDto, nullable: true }) job?: JobViewDto | null;
  @ApiProperty() createdAt: Date;
}

export class PageViewDto {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ nullable: true }) title: string | null;
  @ApiProperty({ enum: ['pending', 'indexed', 'unchanged', 'skipped', 'failed'] }) status: string;
  @ApiProperty({ nullable: true }) httpStatus: number | null;
  @ApiProperty({ nullable: true }) skipReason: string | null;
  @ApiProperty({ nullable: true }) error: string | null;
  @ApiProperty({ nullable: true }) lang: string | null;
  @ApiProperty() depth: number;
  @ApiProperty({ nullable: true }) fetchedAt: Date | null;
}

export class PageListDto {
  @ApiProperty({ type: [PageViewDto] }) items: PageViewDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}
