import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/**
 * One page of a page-numbered list (`?page=&limit=`, PageQueryDto): the response shape of every
 * such list. Crawled pages (offset) and defaults (cursor) page differently and keep their shapes.
 */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export function pageOf<T>(items: T[], total: number, query: { page: number; limit: number }): Page<T> {
  return { items, total, page: query.page, limit: query.limit };
}

/** The Swagger schema of a Page<T>: `export class FeedbackPageDto extends PageDto(FeedbackDto) {}`. */
export function PageDto<T>(item: Type<T>): Type<Page<T>> {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty() total: number;
    @ApiProperty() page: number;
    @ApiProperty() limit: number;
  }
  return PageOfItems;
}
