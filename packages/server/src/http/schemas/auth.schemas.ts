import { Type } from '@sinclair/typebox';
import { MAX_PASSWORD_LENGTH } from '../../auth/password.js';
import { Nullable, UserSchema } from './common.schemas.js';

const Email = Type.String({ minLength: 3, maxLength: 254, 'x-expected': 'an e-mail address' });
const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH });

export const LoginBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });

export const SignupBody = Type.Object(
  {
    email: Email,
    password: Password,
    display_name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const GoogleBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 8192, description: 'the Google ID token (a JWT)' }) },
  { additionalProperties: false },
);

export const PendingSignup = Type.Object({
  status: Type.Literal('pending_approval'),
  message: Type.String(),
  user: UserSchema,
});

/**
 * A password sign-up under AIMS_SIGNUP=approval: the same answer whether or not the address had an
 * account, so it names no account (docs/decisions/0010).
 */
export const SignupAccepted = Type.Object({
  status: Type.Literal('pending_approval'),
  message: Type.String(),
});

export const AuthConfigSchema = Type.Object({
  signup: Type.Union([Type.Literal('open'), Type.Literal('approval'), Type.Literal('closed')]),
  password_min_length: Type.Integer(),
  google_client_id: Nullable.string(),
  oidc: Type.Boolean(),
  public_read: Type.Boolean(),
  first_account: Type.Boolean({ description: 'no account exists yet: the next sign-up becomes admin' }),
});

export const OidcCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  state: Type.Optional(Type.String({ maxLength: 1024 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 1024 })),
  iss: Type.Optional(Type.String({ maxLength: 1024 })),
});
