import { registerDecorator, ValidationOptions } from 'class-validator';
import { isCommonPassword } from './common-passwords';

/** Field-level rejection of passwords on the bundled common-password list. */
export function IsNotCommonPassword(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotCommonPassword',
      target: target.constructor,
      propertyName,
      options: { message: 'password is too common; choose another one', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && !isCommonPassword(value) },
    });
}
