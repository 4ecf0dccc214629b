import { Type } from 'typebox';

export const TokenCreateBody = Type.Object({
  instance_id: Type.String({ minLength: 1, maxLength: 128 }),
  description: Type.Optional(Type.String({ maxLength: 500 })),
});

export const TokenCreated = Type.Object({
  token: Type.String(),
  instance_id: Type.String(),
  created_at: Type.String(),
  expires_at: Type.Null(),
});

export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });

export const TokenRevoked = Type.Object({
  revoked: Type.Boolean(),
  instance_id: Type.String(),
  revoked_at: Type.String(),
});
