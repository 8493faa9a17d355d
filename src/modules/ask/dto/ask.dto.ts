import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

export class AskDto {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'How do I sort a list in place?' })
  @IsString()
  @Length(1, 1000)
  question: string;

  @ApiPropertyOptional({ type: [String], description: 'Default: all of your sources' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  sourceIds?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  topK?: number;

  @ApiPropertyOptional({ enum: ['extractive', 'generative'], description: 'Default from ASK_PROVIDER' })
  @IsOptional()
  @IsIn(['extractive', 'generative'])
  mode?: 'extractive' | 'generative';
}

export class HighlightDto {
  @ApiProperty({
    description: 'Offset of the first highlighted character (UTF-16 code units, as JavaScript strings index)',
  })
  start: number;
  @ApiProperty({ description: 'Offset just past the last highlighted character' }) end: number;
}

export class CitationDto {
  @ApiProperty() n: number;
  @ApiProperty() url: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) headingPath: string[];
  @ApiProperty({ description: 'Matching excerpt, plain text (no markup)' }) snippet: string;
  @ApiProperty({
    type: [HighlightDto],
    description: 'Ranges of snippet holding question terms, in order, not overlapping',
  })
  highlights: HighlightDto[];
  @ApiProperty() score: number;
}

export class AskResponseDto {
  @ApiProperty({ description: 'Claims carry [n] markers matching the citations' }) answer: string;
  @ApiProperty({ type: [CitationDto] }) citations: CitationDto[];
  @ApiProperty({ enum: ['extractive', 'openai-compatible', 'none'] }) usedProvider: string;
  @ApiProperty({ example: { retrievalMs: 4.2, answerMs: 0.8 } }) timings: { retrievalMs: number; answerMs: number };
}
