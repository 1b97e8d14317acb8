import { graphql } from '../gql';

export const LeadRowFragment = graphql(`
  fragment LeadRow on Lead {
    id
    name
    surname
    patronymic
    unread
    score
    priority
    status
    budget
    deadline
    serviceName
    service {
      id
      name
    }
    createdAt
  }
`);
