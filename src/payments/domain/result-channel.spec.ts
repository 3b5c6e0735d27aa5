import { isVirtualApiTerminalId, learnsResultsLater } from './result-channel';

describe('learnsResultsLater', () => {
  it('is true for the API clients’ virtual terminals and the in-app ordering point, false for terminals', () => {
    expect(learnsResultsLater('API7K2QX', 'H5ORDER1')).toBe(true);
    expect(learnsResultsLater('H5ORDER1', 'H5ORDER1')).toBe(true);
    expect(learnsResultsLater('TERM0001', 'H5ORDER1')).toBe(false);
    expect(learnsResultsLater('TERM0001')).toBe(false);
    expect(learnsResultsLater('API7K2Q')).toBe(false);
    expect(learnsResultsLater('api7k2qx')).toBe(false);
    expect(isVirtualApiTerminalId('APIZZZ99')).toBe(true);
    expect(isVirtualApiTerminalId('TERM0001')).toBe(false);
  });
});
