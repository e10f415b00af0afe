import { defineMessages } from './schema.js';

/** Strings every view uses: lights, states, connection. */
export const common = defineMessages({
  en: {
    light: { green: 'Green', yellow: 'Yellow', red: 'Red', none: 'No data' },
    conn: {
      live: 'Live',
      connecting: 'Connecting…',
      offlineSince: 'Offline since {time}',
      dataFrom: 'Data from {time}',
      unauthorized: 'This page’s token is missing or not valid for this workshop: open it with its link (#token=…)',
      noToken: 'This link has no token: open the page with its full link, the one ending in #token=…',
      noTokenShort: 'This link has no token',
    },
    service: { maintenance: 'Maintenance', repair: 'Repair', warranty: 'Warranty', recall: 'Recall', bodywork: 'Bodywork', diagnosis: 'Diagnosis' },
    pause: { parts: 'Waiting for parts', approval: 'Waiting for approval', other: 'Paused', break: 'Technician on break', end_of_shift: 'Shift ended' },
    unit: { min: 'min' },
  },
  'zh-CN': {
    light: { green: '绿灯', yellow: '黄灯', red: '红灯', none: '无数据' },
    conn: {
      live: '实时',
      connecting: '连接中…',
      offlineSince: '自 {time} 起离线',
      dataFrom: '数据时间 {time}',
      unauthorized: '此页面没有令牌或令牌无权访问该门店：请用其链接（#token=…）打开',
      noToken: '此链接没有令牌：请用完整链接（以 #token=… 结尾）打开此页面',
      noTokenShort: '此链接没有令牌',
    },
    service: { maintenance: '保养', repair: '维修', warranty: '保修', recall: '召回', bodywork: '钣喷', diagnosis: '诊断' },
    pause: { parts: '等待配件', approval: '等待客户确认', other: '暂停', break: '技师休息中', end_of_shift: '技师已下班' },
    unit: { min: '分钟' },
  },
});
