// Payloads shared by the parser benchmarks: what a chat-like app sends most, a large JSON
// update, and a binary attachment.

export const smallEventArgs = ['chat message', { user: 'alice', text: 'hello world', at: 1700000000000 }];

/** About 10 KB of JSON: a list update, the typical "large" message of a dashboard. */
export const largeEventArgs = [
  'update',
  {
    items: Array.from({ length: 100 }, (_, index) => ({
      id: index,
      name: `item-${index}`,
      price: index * 1.25,
      tags: ['a', 'b', 'c'],
      active: index % 2 === 0,
    })),
  },
];

export const binaryAttachment = Buffer.alloc(1024, 7);
