import { describe, expect, it } from 'vitest';
import { impersonatedUser } from './impersonation';

describe(impersonatedUser.name, () => {
  it('should be undefined when the request impersonates nobody', () => {
    expect(impersonatedUser({})).toBeUndefined();
  });

  it('should give a ServiceAccount its two groups and system:authenticated when kubectl --as names one', () => {
    expect(impersonatedUser({ 'impersonate-user': 'system:serviceaccount:shop:default' })).toEqual({
      username: 'system:serviceaccount:shop:default',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'],
    });
  });

  it('should take the --as-group groups as given when there are some', () => {
    expect(impersonatedUser({ 'impersonate-user': 'alice', 'impersonate-group': ['dev', 'ops'] })).toEqual({
      username: 'alice',
      groups: ['dev', 'ops', 'system:authenticated'],
    });
  });
});
