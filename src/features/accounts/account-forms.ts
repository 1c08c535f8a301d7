import { z } from 'zod'

const email = z
  .string({ error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }))

export const SignInForm = z.object({
  email,
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(256, 'Password must be 256 characters or fewer'),
})

export const CodeForm = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your authenticator app' })
    .transform(value => value.replace(/[\s-]/g, ''))
    .pipe(
      z
        .string()
        .min(1, 'Enter the 6-digit code from your authenticator app')
        .regex(/^\d{6}$/, 'The code must be 6 digits, like 123456'),
    ),
})

export const RecoveryCodeForm = z.object({
  code: z
    .string({ error: 'Enter one of your recovery codes' })
    .trim()
    .min(1, 'Enter one of your recovery codes')
    .max(20, 'Recovery codes are 10 letters and numbers, like k7dq-3mzp-x2'),
})

export const NewPasswordForm = z
  .object({
    password: z
      .string({ error: 'Enter a password' })
      .min(1, 'Enter a password')
      .max(256, 'Password must be 256 characters or fewer'),
    confirmPassword: z.string({ error: 'Confirm your password' }).min(1, 'Confirm your password'),
  })
  .refine(form => form.password === form.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match',
  })

export const ChangePasswordForm = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(256),
    password: z
      .string({ error: 'Enter a new password' })
      .min(1, 'Enter a new password')
      .max(256, 'Password must be 256 characters or fewer'),
    confirmPassword: z.string({ error: 'Confirm your new password' }).min(1, 'Confirm your new password'),
  })
  .refine(form => form.password === form.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match',
  })

export const ForgotPasswordForm = z.object({ email })

export const ParentSignUpForm = z
  .object({
    displayName: z
      .string({ error: 'Enter your name' })
      .trim()
      .min(1, 'Enter your name')
      .max(100, 'Name must be 100 characters or fewer'),
    email,
    password: z
      .string({ error: 'Enter a password' })
      .min(1, 'Enter a password')
      .max(256, 'Password must be 256 characters or fewer'),
    confirmPassword: z.string({ error: 'Confirm your password' }).min(1, 'Confirm your password'),
  })
  .refine(form => form.password === form.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match',
  })

export const TokenQuery = z.object({
  token: z
    .string()
    .min(20)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
})

export const ReturnToQuery = z.object({
  returnTo: z
    .string()
    .max(500)
    .regex(/^\/(?!\/)[^\s\\]*$/)
    .optional()
    .catch(undefined),
})
