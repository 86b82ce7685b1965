// DescribeConfigs' and CreateTopics' config_source codes, named as topics.describe shows them.
export const CONFIG_SOURCES: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'topic',
  2: 'dynamic broker',
  3: 'dynamic cluster default',
  4: 'static broker',
  5: 'default',
  6: 'dynamic broker logger',
  7: 'client metrics',
  8: 'group',
};
