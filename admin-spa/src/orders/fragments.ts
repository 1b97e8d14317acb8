import { graphql } from '../gql';

export const LeadRowFragment = graphql(`
  fragment LeadRow on Lead {
    id
    name
    surname
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
